/** A domain event as a decider emits it: the store adds ids, positions and metadata. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/**
 * A stream's logic: pure functions, no I/O. Time, ids and lookups of other streams arrive in
 * the command. `decide` returns no events when the command is already satisfied (a retry).
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
