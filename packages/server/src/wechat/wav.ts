// WAV in plain JS (no ffmpeg): the header read without decoding, and any PCM or float WAV → mono 16-bit PCM at a rate.

/** Why bytes are not a WAV this module reads; the message says what is wrong. */
export class WavError extends Error {}

export interface WavInfo {
  /** 1 PCM integer, 3 IEEE float (WAVE_FORMAT_EXTENSIBLE resolved to its subformat). */
  readonly formatCode: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** Samples per channel in the data chunk. */
  readonly frames: number;
  readonly durationMs: number;
  readonly dataOffset: number;
  readonly dataLength: number;
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/** RIFF…WAVE: the container, whatever its codec. */
export function isWav(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WAVE';
}

/** The fmt and data chunks, checked; throws WavError on what this module cannot decode. */
export function wavInfo(bytes: Uint8Array): WavInfo {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isWav(b)) throw new WavError('not a WAV file (no RIFF…WAVE header)');
  let fmt: { formatCode: number; channels: number; sampleRate: number; blockAlign: number; bitsPerSample: number } | undefined;
  let data: { offset: number; length: number } | undefined;
  for (let at = 12; at + 8 <= b.length && !data;) {
    const id = b.toString('latin1', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > b.length) throw new WavError('the WAV fmt chunk is cut short');
      let formatCode = b.readUInt16LE(body);
      if (formatCode === EXTENSIBLE && size >= 40 && body + 26 <= b.length) formatCode = b.readUInt16LE(body + 24);
      fmt = { formatCode, channels: b.readUInt16LE(body + 2), sampleRate: b.readUInt32LE(body + 4), blockAlign: b.readUInt16LE(body + 12), bitsPerSample: b.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: the data then runs to the end of the file.
      const rest = b.length - body;
      data = { offset: body, length: size === 0 || size > rest ? rest : size };
    }
    at = body + size + (size % 2);
  }
  if (!fmt) throw new WavError('the WAV has no fmt chunk');
  if (!data) throw new WavError('the WAV has no data chunk');
  const { formatCode, channels, sampleRate, bitsPerSample } = fmt;
  const supported = (formatCode === PCM && [8, 16, 24, 32].includes(bitsPerSample)) || (formatCode === FLOAT && [32, 64].includes(bitsPerSample));
  if (!supported) throw new WavError(`WAV format ${formatCode} with ${bitsPerSample}-bit samples is not read (use PCM 8/16/24/32-bit or float 32/64-bit)`);
  if (channels < 1 || sampleRate < 1000 || sampleRate > 384_000) throw new WavError(`the WAV declares ${channels} channels at ${sampleRate} Hz`);
  const frameBytes = (bitsPerSample / 8) * channels;
  const frames = Math.floor(data.length / frameBytes);
  return { formatCode, channels, sampleRate, bitsPerSample, frames, durationMs: Math.round((frames / sampleRate) * 1000), dataOffset: data.offset, dataLength: frames * frameBytes };
}

/** One sample as a float in [-1, 1]. */
function sampleReader(b: Buffer, info: WavInfo): (offset: number) => number {
  if (info.formatCode === FLOAT) return info.bitsPerSample === 32 ? (o) => b.readFloatLE(o) : (o) => b.readDoubleLE(o);
  switch (info.bitsPerSample) {
    case 8: return (o) => (b[o]! - 128) / 128;
    case 16: return (o) => b.readInt16LE(o) / 32768;
    case 24: return (o) => b.readIntLE(o, 3) / 8388608;
    default: return (o) => b.readInt32LE(o) / 2147483648;
  }
}

/** Decodes a WAV to mono 16-bit little-endian PCM at `sampleRate`: channels averaged, resampled linearly (enough for voice). */
export function wavToMonoPcm(bytes: Uint8Array, sampleRate: number): Buffer {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info = wavInfo(b);
  const read = sampleReader(b, info);
  const width = info.bitsPerSample / 8;
  const mono = new Float32Array(info.frames);
  for (let f = 0; f < info.frames; f++) {
    let sum = 0;
    const at = info.dataOffset + f * width * info.channels;
    for (let c = 0; c < info.channels; c++) sum += read(at + c * width);
    mono[f] = sum / info.channels;
  }
  const outFrames = Math.round((info.frames * sampleRate) / info.sampleRate);
  const pcm = Buffer.alloc(outFrames * 2);
  const step = info.sampleRate / sampleRate;
  for (let i = 0; i < outFrames; i++) {
    const pos = i * step;
    const left = Math.floor(pos);
    const right = Math.min(left + 1, info.frames - 1);
    const value = mono[left]! + (mono[right]! - mono[left]!) * (pos - left);
    pcm.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(value * 32767))), i * 2);
  }
  return pcm;
}
