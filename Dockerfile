# rapport in a container: `docker build -t rapport .`, then, in a site's folder,
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" rapport
# builds it into ./public (any rapport command works: `... rapport check`).
# See docs/deploy.md.

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
# The release profile keeps line tables for backtraces; the image does not
# need them, and stripping takes the binary from ~74 MB to ~16 MB.
ENV CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=true
RUN cargo build --release --locked --bin rapport

# distroless/cc has exactly what the binary links (glibc, libgcc) and no shell.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/rapport /usr/local/bin/rapport
# 65532 is distroless's `nonroot`; `--user` overrides it to own what it writes.
USER 65532:65532
WORKDIR /site
# `serve --bind 0.0.0.0` inside the container, published with -p 1111:1111.
EXPOSE 1111
ENTRYPOINT ["rapport"]
CMD ["build"]
