# Build: the official Rust image.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin im-emulator

# Run: a minimal image, as a non-root user.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --no-create-home emulator
COPY --from=build /src/target/release/im-emulator /usr/local/bin/im-emulator
USER emulator
ENV IM_EMULATOR_BIND=0.0.0.0:4800
EXPOSE 4800
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
  CMD ["im-emulator", "healthcheck"]
ENTRYPOINT ["im-emulator"]
