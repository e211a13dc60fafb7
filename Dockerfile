# The harness as an image, for the sharded path (see the README's Kubernetes Indexed Job and CI
# matrix): `docker build -t sam2grasp-bench:COMMIT .`, then
# `docker run --rm -v $PWD/results:/app/results sam2grasp-bench:COMMIT sweep scenes/sweeps/paper-table3.json --shard 1/8 --out results/shard-0`.
# Everything is installed and compiled at build time; a container needs no network to run.
FROM node:20-bookworm-slim

WORKDIR /app
# Dependencies first, so that a change of code does not reinstall them. .npmrc skips
# onnxruntime-node's CUDA download (the CPU backend needs none); `npm ci` then runs `prepare`,
# which compiles the TypeScript, so the sources must be in place before it.
COPY package.json package-lock.json .npmrc ./
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm ci && npm cache clean --force
COPY assets ./assets
COPY scenes ./scenes
COPY docs ./docs

ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["--help"]
