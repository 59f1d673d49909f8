/**
 * The plugin author's kit. A plugin imports from here and from `interfaces/` only.
 */
export { z } from 'zod';
export * from './errors';
export * from './topic';
export * from './service';
export * from './secret';
export * from './context';
export * from './plugin';
export * from './reference-data';
export * from './kernel-topics';
export * from './cli';
export * from './files';
export * from './journal';
export { startHeadlessKernel, HeadlessKernelError, type HeadlessKernel, type HeadlessKernelOptions, type HeadlessLogLevel } from './headless';
