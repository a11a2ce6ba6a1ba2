# Mailpulse: a release build on Swift's Debian 12 image, run on a slim Debian 12 with only the runtime libraries.
# docker build -t mailpulse .   (docker-compose.yml builds it for you)

FROM swift:6.2-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libhiredis-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Dependencies first, so a change to the sources does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product mailpulse \
    && swift build -c release --static-swift-stdlib --product graph-sim \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/mailpulse" "$(swift build -c release --show-bin-path)/graph-sim" /staging/

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libhiredis0.14 libcurl4 libsqlite3-0 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 mailpulse \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin mailpulse
WORKDIR /app
COPY --from=build /staging/ /usr/local/bin/
# FileMiddleware resolves WEB_DIRECTORY against the working directory.
COPY Web ./Web
# data/ holds the SQLite file and a generated token key (the defaults SQLITE_PATH and TOKEN_KEY_FILE point there).
RUN mkdir -p /app/data && chown 10001:10001 /app/data
USER 10001:10001
ENV HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["curl", "-fsS", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["mailpulse"]
CMD ["serve"]
