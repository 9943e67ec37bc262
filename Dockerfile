# Sema inference container: a Hugging Face Docker Space (README.md front matter: sdk docker,
# app_port 7860) or any container host.
#   docker build -t sema-inference .
#   docker run -p 7860:7860 -v sema-models:/data sema-inference
# The TypeScript sources run through tsx (a runtime dependency), so the image runs exactly the code
# the tests run: no second build output to drift from the sources.

# ---- stage 1: production dependencies ----
FROM node:22-slim AS deps
WORKDIR /app
# onnxruntime-node's install script would download CUDA files; the CPU build ships in the package
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- stage 2: runtime ----
FROM node:22-slim AS runtime
# HOME is where the model cache goes when no persistent storage is mounted:
# HF_HOME defaults to /data/.huggingface when /data (a Space's persistent storage) is writable,
# else to $HOME/.cache/huggingface (inference/config.ts). Set HF_HOME to pin it elsewhere.
ENV NODE_ENV=production \
    HOME=/home/node \
    HOST=0.0.0.0 \
    PORT=7860
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node shared ./shared
COPY --chown=node:node inference ./inference
# the fixture model (served, and said so, until a real model is in the cache) and the test LID model
COPY --chown=node:node models/tiny ./models/tiny
COPY --chown=node:node models/lid ./models/lid
RUN mkdir -p /home/node/.cache/huggingface && chown -R node:node /home/node/.cache
# Spaces run containers as uid 1000, which is the node user of the official images
USER 1000
EXPOSE 7860
# slim images have no curl: Node's own fetch checks liveness
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 7860) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm) as PID 1, so SIGTERM reaches the server's graceful shutdown
CMD ["node", "--import", "tsx", "inference/server.ts"]
