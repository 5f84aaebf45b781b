// A benchmark's client in a process of its own: sends the HTTP requests it is given all at once and
// reports when each went out and when its answer came back, on the epoch clock in milliseconds
// (performance.timeOrigin + performance.now(), which every process on the machine shares). In the
// parent the same requests would wait for an event loop that also serves the fake Slack's
// hundreds of calls a second, and that wait would be counted as the app's.

interface SendMessage {
  type: 'send';
  url: string;
  requests: { id: string; headers: Record<string, string>; body: string }[];
}

export interface SentRequest {
  id: string;
  sentAt: number;
  answeredAt: number;
  status: number;
  text: string;
}

const epochNow = () => performance.timeOrigin + performance.now();

process.on('message', (raw) => {
  const message = raw as SendMessage;
  if (message.type !== 'send') return;
  void Promise.all(
    message.requests.map(async (request): Promise<SentRequest> => {
      const sentAt = epochNow();
      try {
        const res = await fetch(message.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
        });
        const text = await res.text();
        return { id: request.id, sentAt, answeredAt: epochNow(), status: res.status, text };
      } catch (error) {
        return { id: request.id, sentAt, answeredAt: epochNow(), status: 0, text: String(error) };
      }
    }),
  ).then((results) => process.send?.({ type: 'sent', results }));
});
// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
