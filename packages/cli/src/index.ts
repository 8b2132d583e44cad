export { createProgram } from './program.ts';
export { exitCodeFor, EXIT } from './output/exit-codes.ts';
