// Which node of a cluster does the work that must run on one node at a time: an instance's webhook delivery, singleton jobs.

/** Work held by this node: while it is valid no other node holds the same name. */
export interface Lease {
  /** False once the lease was lost (not renewed in time): stop before the next step of the work. */
  readonly valid: boolean;
  /** Gives the work up; call once what it wrote is in the store, so the next holder starts from there. */
  release(): Promise<void>;
}

export interface Ownership {
  /** Whether this node is the one that should do `name`'s work, by the nodes it sees alive (a local check). */
  prefers(name: string): boolean;
  /** Takes `name` for this node until released (kept alive meanwhile); null while another node holds it. */
  acquire(name: string): Promise<Lease | null>;
  /** `changed` runs when the nodes alive change: work this node now prefers may have been another node's. */
  onMembershipChange(changed: () => void): void;
}

const ALWAYS_HELD: Lease = { valid: true, release: () => Promise.resolve() };

/** One node alone does all the work: nothing to take, nothing to give up. */
export const SOLE_NODE: Ownership = {
  prefers: () => true,
  acquire: () => Promise.resolve(ALWAYS_HELD),
  onMembershipChange: () => {},
};

/** Whether `lease` is a real one (a cluster's): then the holder hands over what it wrote when it lets go. */
export const isSharedLease = (lease: Lease): boolean => lease !== ALWAYS_HELD;
