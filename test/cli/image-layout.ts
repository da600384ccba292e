import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./cli-process.js";

interface Copy {
  fromStage?: string;
  sources: string[];
  destination: string;
}

interface Stage {
  name?: string;
  workdir: string;
  copies: Copy[];
  env: Record<string, string>;
  cmd: string[];
}

/** The Dockerfile's stages, as far as the image's files, environment and command go. */
export function dockerfileStages(dockerfile = path.join(repoRoot, "Dockerfile")): Stage[] {
  const instructions = readFileSync(dockerfile, "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    const [keyword = "", ...words] = instruction.split(/\s+/);
    const rest = instruction.slice(keyword.length).trim();
    if (keyword === "FROM") {
      stages.push({ name: words[2], workdir: "/", copies: [], env: {}, cmd: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
    if (keyword === "WORKDIR") stage.workdir = path.posix.resolve(stage.workdir, rest);
    if (keyword === "CMD") stage.cmd = JSON.parse(rest) as string[];
    if (keyword === "ENV") {
      for (const pair of words) {
        const [name, value] = pair.split(/=(.*)/s);
        if (!name || value === undefined) throw new Error(`Dockerfile: ENV ${pair} is not NAME=value`);
        stage.env[name] = value;
      }
    }
    if (keyword === "COPY") {
      const fromStage = words.find((word) => word.startsWith("--from="))?.slice("--from=".length);
      const paths = words.filter((word) => !word.startsWith("--"));
      stage.copies.push({ fromStage, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" });
    }
  }
  return stages;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output}`)),
    );
  });
}

/** A stage's COPY instructions from the build context, carried out under `root`; returns its WORKDIR there. */
function copyContextFiles(stage: Stage, root: string): string {
  const workdir = path.join(root, stage.workdir);
  mkdirSync(workdir, { recursive: true });
  for (const copy of stage.copies.filter((each) => each.fromStage === undefined)) {
    for (const source of copy.sources)
      cpSync(path.join(repoRoot, source), into(workdir, copy, source), { recursive: true });
  }
  return workdir;
}

function into(workdir: string, copy: Copy, source: string): string {
  return copy.destination.endsWith("/") || copy.sources.length > 1
    ? path.join(workdir, copy.destination, path.basename(source))
    : path.join(workdir, copy.destination);
}

/**
 * What the build stage makes that the runtime stage copies. dist/ is `npm run build` run in the
 * build stage laid out from its own COPY lines, so a file the build needs and the stage lacks
 * fails here too; node_modules is this checkout's (with the devDependencies the image prunes).
 */
async function placeBuildOutput(
  buildStage: Stage,
  root: string,
  relative: string,
  target: string,
): Promise<void> {
  if (relative === "node_modules") {
    symlinkSync(path.join(repoRoot, "node_modules"), target, "dir");
    return;
  }
  if (relative !== "dist")
    throw new Error(`the image layout does not know how the build stage makes ${relative}`);
  const workdir = copyContextFiles(buildStage, path.join(root, "build-stage"));
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(workdir, "node_modules"), "dir");
  await run("npm", ["run", "build"], workdir);
  cpSync(path.join(workdir, "dist"), target, { recursive: true });
}

export interface ImageLayout {
  /** Where the runtime stage's WORKDIR is laid out. */
  appDir: string;
  env: Record<string, string>;
  cmd: string[];
}

/**
 * The runtime stage's files laid out under `root` without Docker: only what its COPY
 * instructions bring, so a file the image lacks is missing here too.
 */
export async function layOutRuntimeImage(root: string): Promise<ImageLayout> {
  const stages = dockerfileStages();
  const runtime = stages.at(-1) as Stage;
  const appDir = copyContextFiles(runtime, path.join(root, "runtime-stage"));
  for (const copy of runtime.copies.filter((each) => each.fromStage !== undefined)) {
    const buildStage = stages.find((stage) => stage.name === copy.fromStage);
    if (!buildStage) throw new Error(`Dockerfile: no stage named ${copy.fromStage}`);
    for (const source of copy.sources) {
      const relative = path.posix.relative(buildStage.workdir, source);
      await placeBuildOutput(buildStage, root, relative, into(appDir, copy, source));
    }
  }
  return { appDir, env: runtime.env, cmd: runtime.cmd };
}
