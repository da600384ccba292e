import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Command } from "commander";
import { generateDeliverySamples, jsonFileNames, sampleFolders } from "../samples/delivery-samples.js";

/** Rewrites `deliveries/` from `events/`, removing deliveries of gone events. */
async function samples(samplesDir: string): Promise<void> {
  const deliveries = await generateDeliverySamples(samplesDir);
  const deliveriesDir = path.join(samplesDir, sampleFolders.deliveries);
  await mkdir(deliveriesDir, { recursive: true });
  const wanted = new Set(deliveries.map((delivery) => delivery.name));
  const stale = (await jsonFileNames(deliveriesDir)).filter((name) => !wanted.has(name));
  await Promise.all([
    ...deliveries.map((delivery) => writeFile(path.join(deliveriesDir, delivery.name), delivery.text)),
    ...stale.map((name) => rm(path.join(deliveriesDir, name))),
  ]);
  const removed = stale.length > 0 ? `, removed ${stale.join(", ")}` : "";
  process.stdout.write(`wrote ${deliveries.length} deliveries to ${deliveriesDir}${removed}\n`);
}

export const samplesCommand = new Command("samples")
  .description("regenerate <dir>/deliveries/ from <dir>/events/ with the gateway's own rendering code")
  .argument("[dir]", "the samples folder", "webhook-samples")
  .action(samples);
