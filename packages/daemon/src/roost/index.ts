// The part of roost a client loads without the daemon: cutting a folder into a version body
// needs node built-ins only.
export { scanFolder, type ScannedFolder } from './scan-folder.ts';
export { chunkStream, findCut, DEFAULT_CHUNK_SIZES, type Chunk, type ChunkSizes } from './chunking.ts';
export { versionIdOf } from './version-body.ts';
