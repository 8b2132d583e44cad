export { createProgram } from './program.ts';
export { exitCodeFor, EXIT } from '@owl/rpc';
