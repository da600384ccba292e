import { expect } from "chai";
import { batchPerTurn } from "../../src/common/batch-per-turn.js";

describe("batch per turn", () => {
  it("serves the calls of one event-loop turn with one call, each caller its own answer", async () => {
    const served: number[][] = [];
    const double = batchPerTurn(async (numbers: number[]) => {
      served.push(numbers);
      return numbers.map((n) => n * 2);
    });
    expect(await Promise.all([double(1), double(2), double(3)])).to.deep.equal([2, 4, 6]);
    expect(await double(4)).to.equal(8);
    expect(served).to.deep.equal([[1, 2, 3], [4]]);
  });

  it("takes calls made while a batch is being served into the next batch", async () => {
    const served: string[][] = [];
    let release: () => void = () => {};
    const echo = batchPerTurn(async (words: string[]) => {
      served.push(words);
      if (served.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return words;
    });
    const first = echo("a");
    await new Promise((resolve) => setImmediate(resolve));
    const second = echo("b");
    release();
    expect(await Promise.all([first, second])).to.deep.equal(["a", "b"]);
    expect(served).to.deep.equal([["a"], ["b"]]);
  });

  it("fails every call of a batch whose service failed, and serves the next batch afresh", async () => {
    let fail = true;
    const lookup = batchPerTurn(async (keys: string[]) => {
      if (fail) throw new Error("database gone");
      return keys;
    });
    const outcomes = await Promise.allSettled([lookup("a"), lookup("b")]);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(["rejected", "rejected"]);
    fail = false;
    expect(await lookup("c")).to.equal("c");
  });
});
