export function generateHistory(
  dir: string,
  options?: { commits?: number; start?: number; stepSeconds?: number },
): Promise<void>;
