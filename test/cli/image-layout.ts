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

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
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

/**
 * What the build stage makes that the runtime stage copies: `npm run build` into `into`,
 * and node_modules as this checkout's (with the devDependencies the image prunes).
 */
async function placeBuildOutput(relative: string, into: string): Promise<void> {
  if (relative === "node_modules") symlinkSync(path.join(repoRoot, "node_modules"), into, "dir");
  else if (relative === "dist") await run("npm", ["run", "build", "--", "--outDir", into]);
  else throw new Error(`the image layout does not know how the build stage makes ${relative}`);
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
  const appDir = path.join(root, runtime.workdir);
  mkdirSync(appDir, { recursive: true });
  for (const copy of runtime.copies) {
    const into = (source: string) =>
      copy.destination.endsWith("/") || copy.sources.length > 1
        ? path.join(appDir, copy.destination, path.basename(source))
        : path.join(appDir, copy.destination);
    for (const source of copy.sources) {
      if (copy.fromStage === undefined) {
        cpSync(path.join(repoRoot, source), into(source), { recursive: true });
        continue;
      }
      const buildStage = stages.find((stage) => stage.name === copy.fromStage);
      if (!buildStage) throw new Error(`Dockerfile: no stage named ${copy.fromStage}`);
      await placeBuildOutput(path.posix.relative(buildStage.workdir, source), into(source));
    }
  }
  return { appDir, env: runtime.env, cmd: runtime.cmd };
}
