import { Decider, DomainEvent } from '../../src/shared/decider';
import { DomainError } from '../../src/shared/domain-error';

/** given(events).when(command).then(events) | .thenRefused(code, field) — for deciders. */
export function deciderSpec<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: Event[]) {
      const state = events.reduce((current, event) => decider.evolve(current, event), decider.initialState());
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, state);
          return {
            then(expected: Event[]) {
              expect(decide()).toEqual(expected);
            },
            thenNothing() {
              expect(decide()).toEqual([]);
            },
            thenRefused(code: string, field: string, reason?: RegExp, message?: RegExp): void {
              let caught: unknown;
              try {
                decide();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              const refusal = caught as DomainError;
              expect(refusal.code).toBe(code);
              expect(refusal.errors.map((error) => error.field)).toContain(field);
              if (reason) expect(refusal.errors.find((error) => error.field === field)?.reason).toMatch(reason);
              if (message) expect(refusal.message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
