interface Waiting<Result> {
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * A function whose calls made in one event-loop turn are served by one call of `serve`, which
 * answers the requests in their order. Under load, one database round trip then serves many
 * jobs or requests; alone, a call waits for the end of the turn only.
 */
export function batchPerTurn<Request, Result>(
  serve: (requests: Request[]) => Promise<Result[]>,
): (request: Request) => Promise<Result> {
  let requests: Request[] = [];
  let waiting: Waiting<Result>[] = [];

  const flush = async () => {
    const batch = requests;
    const answers = waiting;
    requests = [];
    waiting = [];
    try {
      const results = await serve(batch);
      for (const [index, answer] of answers.entries()) answer.resolve(results[index] as Result);
    } catch (error) {
      for (const answer of answers) answer.reject(error);
    }
  };

  return (request) => {
    if (requests.length === 0) setImmediate(() => void flush());
    requests.push(request);
    return new Promise<Result>((resolve, reject) => waiting.push({ resolve, reject }));
  };
}
