export function createWindowsManager(o: unknown): never { throw new Error(String(o)); }
