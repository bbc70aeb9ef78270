import { DomainError } from '../../src/shared/domain-error';

/** The DomainError `run` refuses with; anything else it throws is rethrown, and not refusing fails the test. */
export function refusalOf(run: () => unknown, accepted = 'expected a refusal'): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(accepted);
}
