import { useCallback, useRef, useState } from 'react';

type Update<T> = T | ((current: T) => T);

/**
 * State whose latest value is readable at once. Keys typed faster than React renders (a paste, tmux send-keys)
 * must each see the state the previous key left, not the one of the last render.
 */
export function useLatestState<T>(initial: T | (() => T)): [T, (next: Update<T>) => void, () => T] {
  const [state, setState] = useState(initial);
  const ref = useRef(state);
  const set = useCallback((next: Update<T>) => {
    ref.current = typeof next === 'function' ? (next as (current: T) => T)(ref.current) : next;
    setState(ref.current);
  }, []);
  const get = useCallback(() => ref.current, []);
  return [state, set, get];
}
