export { canPin, pinSelf, spawnNode, type NodeProcess, type SpawnOptions } from './node.ts';
export { API_MAIN, spawnApi, spawnWorker, WORKER_MAIN, type ApiProcess } from './apps.ts';
export { processMemory, type ProcessMemory } from './memory.ts';
