// Types for qemu-link.mjs (the guest side of the QEMU test bed's cable pulls).

/** The guest's /dev path of the virtio port the host relay listens on; throws outside a qemu-run.sh guest. */
export declare function findPort(): string;

/**
 * Sets the link of guest NIC `name` (e1k0, p-e1k0, e100a, ...) up or down through QMP set_link.
 * Resolves when QEMU has done it; the guest driver notices on its own schedule.
 */
export declare function setLink(name: string, up: boolean, options?: { timeoutMs?: number }): Promise<void>;
