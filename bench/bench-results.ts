// The figures of one bench run, as bench/main.ts collects them, bench/targets.ts checks them and
// bench/results/latest.json holds them.
import type { CallsResult } from './calls-per-row.ts';
import type { OverheadResult } from './engine-overhead.ts';
import type { BundleMeasure } from './lambda-bundles.ts';
import type { LargeFileMeasure } from './large-file.ts';
import type { BoundResult } from './plan-bound.ts';
import type { Projection } from './projection.ts';
import type { RateBudgetResult } from './rate-budget.ts';
import type { UndoResult } from './undo-calls.ts';

/** One of the targets, checked against a run's figures. */
export interface TargetCheck {
  name: string;
  measured: string;
  limit: string;
  pass: boolean;
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  elapsedSeconds?: number;
  quick: boolean;
  environment: { node: string; platform: string; cpus: number; cpuModel: string };
  callsPerRow?: CallsResult[];
  planBound?: BoundResult[];
  undo?: UndoResult[];
  rateBudget?: RateBudgetResult[];
  engineOverhead?: OverheadResult;
  largeFile?: LargeFileMeasure;
  bundles?: BundleMeasure;
  projection?: { limitPerHour: number; rateShare: number; basis: string; rows: Projection[] };
  targets?: TargetCheck[];
}
