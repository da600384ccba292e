import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { generateCallbackSamples } from "../samples/callback-samples.js";
import {
  generateDeliverySamples,
  jsonFileNames,
  type SampleText,
  sampleFolders,
} from "../samples/delivery-samples.js";

/** Rewrites `deliveries/` from `events/` and `callbacks/`, removing the files no sample makes any more. */
async function samples(samplesDir: string): Promise<void> {
  await writeSamples(
    path.join(samplesDir, sampleFolders.deliveries),
    await generateDeliverySamples(samplesDir),
  );
  await writeSamples(path.join(samplesDir, sampleFolders.callbacks), await generateCallbackSamples());
}

async function writeSamples(dir: string, samples: SampleText[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const wanted = new Set(samples.map((sample) => sample.name));
  const stale = (await jsonFileNames(dir)).filter((name) => !wanted.has(name));
  await Promise.all([
    ...samples.map((sample) => writeFile(path.join(dir, sample.name), sample.text)),
    ...stale.map((name) => rm(path.join(dir, name))),
  ]);
  const removed = stale.length > 0 ? `, removed ${stale.join(", ")}` : "";
  process.stdout.write(`wrote ${samples.length} samples to ${dir}${removed}\n`);
}

export const samplesCommand = new Command("samples")
  .description(
    "regenerate <dir>/deliveries/ from <dir>/events/, and <dir>/callbacks/, with the gateway's own code",
  )
  .argument("[dir]", "the samples folder", "webhook-samples")
  .action(samples);
