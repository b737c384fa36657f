# One image pattern for every service:
#   docker build --build-arg MAIN=services/<name>/dist/main.js [--build-arg WITH_CHROMIUM=true] [--build-arg WITH_PYTHON=true] .
FROM node:22-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY . .
RUN npm ci --no-audit --no-fund && npx tsc -b && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ARG MAIN
ARG WITH_CHROMIUM=false
# The orchestrator runs clients' `.py` conversion scripts: a Python with the usual spreadsheet readers (xlsx, xls).
ARG WITH_PYTHON=false
RUN packages=""; \
    if [ "$WITH_CHROMIUM" = "true" ]; then packages="$packages chromium fonts-dejavu-core"; fi; \
    if [ "$WITH_PYTHON" = "true" ]; then packages="$packages python3 python3-openpyxl python3-xlrd"; fi; \
    if [ -n "$packages" ]; then \
      apt-get update && apt-get install -y --no-install-recommends $packages \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=build --chown=node:node /app /app
ENV MAIN=${MAIN} CHROMIUM_PATH=/usr/bin/chromium HOST=0.0.0.0
USER node
CMD ["sh", "-c", "exec node \"$MAIN\""]
