import { describe, expect, it } from 'vitest';
import { RealSimClock } from './sim-clock';
import { SimulatorState } from './simulator-state';

describe('SimulatorState faults', () => {
  it('counts a queued fault down and forgets it when used up', () => {
    const state = new SimulatorState(new RealSimClock());
    state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 2 });
    expect(state.takeFault('/robot/send')?.mode).toBe('http_500');
    expect(state.takeFault('/robot/send')?.mode).toBe('http_500');
    expect(state.takeFault('/robot/send')).toBeNull();
  });

  it('draws standing faults in turn with their probability, and keeps them until cleared', () => {
    const state = new SimulatorState(new RealSimClock());
    state.addFault({ path: '/robot/send', mode: 'http_500', remaining: 1, probability: 0.1 });
    state.addFault({ path: '/robot/send', mode: 'timeout', remaining: 1, probability: 0.5 });
    const draws = (values: number[]) => () => values.shift() ?? 1;
    expect(state.takeFault('/robot/send', draws([0.05]))?.mode).toBe('http_500');
    expect(state.takeFault('/robot/send', draws([0.5, 0.2]))?.mode).toBe('timeout');
    expect(state.takeFault('/robot/send', draws([0.5, 0.7]))).toBeNull();
    expect(state.takeFault('/gettoken', draws([0]))).toBeNull();
    expect(state.faults).toHaveLength(2);
  });
});
