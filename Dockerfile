# im-emulator as a container image: a fully static binary (glibc, crt-static) alone in a
# `FROM scratch` image — no shell, no libc, no package manager; about 5 MB.
#
#   docker build -t im-emulator .            (or: podman build / buildah bud)
#   docker run --rm -p 127.0.0.1:4800:4800 im-emulator
#
# Base images are fully qualified: Podman and Buildah refuse short names.
# `docker/check` proves the same recipe offline (static binary, then a scratch image run with
# buildah) without a Docker engine.

# ---- Build: the official Rust image (Debian bookworm, glibc) ----
FROM docker.io/library/rust:1-bookworm AS build
WORKDIR /src
# Statically linked against glibc. The target is always named explicitly (the builder's own
# triple, so the image also builds on arm64): RUSTFLAGS then apply to the binary only, not to
# build scripts and proc macros, which must stay dynamic.
ENV RUSTFLAGS="-C target-feature=+crt-static"

# Dependency layer: the manifests, the lockfile and stub sources only, so that editing the
# sources rebuilds the emulator crate and not every dependency. The workspace member `bench`
# needs a manifest and a target to load; it is never built here.
COPY Cargo.toml Cargo.lock ./
COPY bench/Cargo.toml bench/Cargo.toml
RUN mkdir -p src bench/src \
 && echo 'fn main() {}' > src/main.rs \
 && touch src/lib.rs \
 && echo 'fn main() {}' > bench/src/main.rs \
 && target="$(rustc -vV | sed -n 's/^host: //p')" \
 && cargo build --release --locked --bin im-emulator --target "$target"

# The real sources. fixtures/ is compiled in (include_str! in src/providers/easemob/fixtures.rs).
# The copied files may be older than the stub build's outputs, so they are touched: cargo then
# rebuilds the emulator crate (and only it).
COPY fixtures fixtures
COPY src src
RUN touch src/lib.rs src/main.rs \
 && target="$(rustc -vV | sed -n 's/^host: //p')" \
 && cargo build --release --locked --bin im-emulator --target "$target" \
 && strip -o /im-emulator "target/$target/release/im-emulator" \
 && /im-emulator --version \
 && (ldd /im-emulator 2>&1 || true) | grep -Eq 'not a dynamic executable|statically linked'

# ---- Run: the binary alone ----
FROM scratch
LABEL org.opencontainers.image.title="im-emulator" \
      org.opencontainers.image.description="Offline emulator of chat/IM server REST APIs" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /im-emulator /im-emulator
# Numeric, so that Kubernetes' runAsNonRoot can verify it (there is no /etc/passwd here).
USER 10001:10001
# Listen on every interface inside the container; publish the port on loopback only
# (docker run -p 127.0.0.1:4800:4800), as the admin API is unauthenticated by default.
ENV IM_EMULATOR_BIND=0.0.0.0:4800
EXPOSE 4800
# No curl in a scratch image: the binary asks its own server (the address it was started with).
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
  CMD ["/im-emulator", "healthcheck"]
ENTRYPOINT ["/im-emulator"]
