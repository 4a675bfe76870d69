import { Injectable } from '@nestjs/common';

export interface StreamSummary {
  connected: number;
  total: number;
}

/**
 * Keeps one DingTalk Stream connection per enabled stream bot. Until the Stream issue lands there are no
 * connections to keep, so the summary is truthfully empty.
 */
@Injectable()
export class StreamConnectionService {
  summary(): StreamSummary {
    return { connected: 0, total: 0 };
  }
}
