/** The stages of proving an incident, in order: the services run them, the UI draws them. */
export const stages = ['redact', 'ground', 'generate', 'check', 'run', 'prove', 'pr'] as const;
export type Stage = (typeof stages)[number];

export interface StageEvent {
  stage: Stage;
  status: 'start' | 'done' | 'skipped' | 'failed';
  detail?: string;
  ms?: number;
}

export type StageListener = (event: StageEvent) => void;
