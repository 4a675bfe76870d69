import { SimClock } from './sim-clock';
import { SimulatorState } from './simulator-state';

/** What every area of the simulator (robots, apps, stream, page, control) is given when it registers its routes. */
export interface SimulatorContext {
  state: SimulatorState;
  clock: SimClock;
  /** `http://127.0.0.1:PORT`, known once the server listens. */
  baseUrl(): string;
  /** Called on close: an area stops its timers and sockets here. */
  onClose(hook: () => Promise<void> | void): void;
}
