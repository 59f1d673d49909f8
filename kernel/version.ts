/** The kernel's own version; plugins declare a compatible semver range of it. */
export const KERNEL_VERSION = '1.0.0';
