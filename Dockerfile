# ChatOrbit on the official Deno image.
#   docker build -t chatorbit .
#   docker run -p 8000:8000 -v chatorbit-data:/app/data chatorbit
# Configuration is read at run time (docker run -e CHAT_...=...), so one image serves any network.
# tests/docker_test.ts runs this file's RUN, CMD and HEALTHCHECK commands against a clean copy.
FROM denoland/deno:2.9.6

WORKDIR /app
ENV CHAT_HOST=0.0.0.0 \
    PORT=8000
COPY --chown=deno:deno . .
# The image's unprivileged user owns the app folder, so it can write the database (and any assets
# the start task builds). The `id` guard keeps this step runnable outside the image too.
RUN mkdir -p data && if id deno >/dev/null 2>&1; then chown deno:deno . data; fi
USER deno
# Every dependency is fetched at build time, pinned by deno.lock: the container starts offline.
RUN deno cache --frozen main.ts
# The island bundles are built into the image, so start-up only checks they are current.
RUN deno task build

VOLUME ["/app/data"]
EXPOSE 8000
# NO_PROXY: a proxy set for the container must not stand between the check and the server.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["env", "NO_PROXY=127.0.0.1", "deno", "eval", "const r = await fetch(`http://127.0.0.1:${Deno.env.get('PORT') ?? 8000}/api/health/database`); Deno.exit(r.ok ? 0 : 1)"]
CMD ["deno", "task", "start"]
