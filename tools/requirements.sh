#!/usr/bin/env bash
# System packages the test suite needs beyond the .NET SDK, and how to get them. Sourced by tools/test and .ci/run.

# Prints the path of the mosquitto broker binary, or nothing. Debian installs it in /usr/sbin, which is not on
# every user's PATH.
find_mosquitto() {
  command -v mosquitto 2>/dev/null || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true
}

# Prints the path of the Chromium browser, or nothing: Debian names it chromium, Ubuntu's older packages
# chromium-browser. The monitor's web tests drive it headless.
find_chromium() {
  command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null || true
}

# Installs missing Debian packages when this shell may (root, or passwordless sudo); otherwise says what is missing.
ensure_requirements() {
  local missing=()
  [ -n "$(find_mosquitto)" ] || missing+=(mosquitto)
  [ -n "$(find_chromium)" ] || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  fi
  if [ "$sudo" != "none" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} (the MQTT tests start their own broker on a free loopback port; the monitor's page tests drive headless Chromium)..."
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi

  if [ -z "$(find_mosquitto)" ]; then
    echo "Missing: mosquitto (the MQTT tests start their own broker). Install it with: sudo apt-get install mosquitto" >&2
    return 3
  fi

  if [ -z "$(find_chromium)" ]; then
    echo "Missing: chromium (the monitor's page tests drive it headless). Install it with: sudo apt-get install chromium" >&2
    return 3
  fi
}
