// Where a bot keeps the sn it handled last, so a restart resumes after it: in memory, or a JSON file written atomically.

/** A bot's persisted position in an instance's event log, per (guid, consumer). */
export interface CursorStore {
  /** The last handled sn, or undefined when this consumer never handled one. */
  load(key: string): Promise<number | undefined>;
  /** Called after each handled event, before it is acknowledged; must be durable when it resolves. */
  save(key: string, sn: number): Promise<void>;
}

/** Forgets everything when the process ends: a restart falls back to the server's cursor for the consumer. */
export class MemoryCursorStore implements CursorStore {
  readonly #cursors = new Map<string, number>();

  async load(key: string): Promise<number | undefined> {
    return this.#cursors.get(key);
  }

  async save(key: string, sn: number): Promise<void> {
    this.#cursors.set(key, sn);
  }
}

type Fs = typeof import('node:fs/promises');

/**
 * One JSON file `{ "<guid>/<consumer>": sn, … }`, replaced by writing a temporary file and renaming it over the old
 * one, so a crash mid-write leaves the old cursor rather than a torn file. Node only (loaded lazily).
 */
export class FileCursorStore implements CursorStore {
  #cursors: Record<string, number> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async #fs(): Promise<Fs> {
    const specifier = 'node:fs/promises';
    return (await import(/* @vite-ignore */ specifier)) as Fs;
  }

  async #read(): Promise<Record<string, number>> {
    if (this.#cursors) return this.#cursors;
    const fs = await this.#fs();
    let text: string | undefined;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const parsed: unknown = text === undefined ? {} : JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${this.path} is not a cursor file (a JSON object)`);
    this.#cursors = {};
    for (const [key, sn] of Object.entries(parsed)) if (Number.isSafeInteger(sn) && (sn as number) >= 0) this.#cursors[key] = sn as number;
    return this.#cursors;
  }

  async load(key: string): Promise<number | undefined> {
    return (await this.#read())[key];
  }

  save(key: string, sn: number): Promise<void> {
    // Writes are serialized: two renames racing could leave the older content last.
    this.#writing = this.#writing.catch(() => undefined).then(async () => {
      const cursors = await this.#read();
      cursors[key] = sn;
      const fs = await this.#fs();
      const slash = Math.max(this.path.lastIndexOf('/'), this.path.lastIndexOf('\\'));
      if (slash > 0) await fs.mkdir(this.path.slice(0, slash), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      await fs.writeFile(temporary, `${JSON.stringify(cursors, null, 2)}\n`);
      await fs.rename(temporary, this.path);
    });
    return this.#writing;
  }
}
