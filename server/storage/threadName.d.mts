export function nameThisThread(name: string): void;
