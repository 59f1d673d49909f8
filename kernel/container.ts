/**
 * Injection tokens of the kernel's own services in the tsyringe root container. Each
 * plugin instance gets a child container (where the services it provides are registered);
 * it is disposed when the instance stops.
 */
export const BUS = Symbol('scoop.kernel.bus');
export const SERVICE_DIRECTORY = Symbol('scoop.kernel.services');
export const LOG_HUB = Symbol('scoop.kernel.log');
export const KERNEL_CONFIG = Symbol('scoop.kernel.config');
