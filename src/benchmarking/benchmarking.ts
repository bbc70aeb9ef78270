import { BenchmarkController } from './benchmark.controller';
import { GetBenchmarkHandler } from './benchmark.query';
import { GetDataQualityHandler } from './data-quality.query';

export const BENCHMARKING_CONTROLLERS = [BenchmarkController];
export const BENCHMARKING_PROVIDERS = [GetBenchmarkHandler, GetDataQualityHandler];
