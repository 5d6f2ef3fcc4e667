#!/usr/bin/env bash
# Makes the waiting-room display's spoken-call clips (assets/calls/): a chime, then per language
# (id, en) the two phrases, the letters A-Z and the digits 0-9, which the core's call_speech
# composes at run time ("nomor antrian P nol nol tiga, silakan ke loket dua").
#
# Speech: espeak-ng (Debian package `espeak-ng`, GPL-3.0-or-later), its Indonesian voice `id`
# and English `en`. Trimming, level and the chime: sox (Debian package `sox`). Both are
# apt-installed when missing. Output follows the kiosk's other sounds (ui/sounds/): WAV, 16-bit
# PCM, mono, 22050 Hz, which WebKitGTK plays everywhere. Re-running with the same versions
# writes the same bytes (sox without dither); made-with.txt records the versions used.
#
#   bash scripts/make-call-clips.sh            # writes assets/calls/ of this repository
#   bash scripts/make-call-clips.sh OUT_DIR    # writes elsewhere (to compare)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/assets/calls}"

need() { # command, Debian package
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $2 (for $1)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y --no-install-recommends "$2" >&2 \
    || { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "$2" >&2; }
}
need espeak-ng espeak-ng
need sox sox

rate=22050
# Slower than espeak-ng's 175 words a minute: the call is heard across a hall.
speed=140
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# speak LANG FILE TEXT: espeak-ng's text (or [[phonemes]]), silence trimmed at both ends, peak
# at -1 dB, then a short pause so clips played one after another do not run together.
speak() {
  local voice="$1" file="$2" text="$3"
  espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$text"
  sox -D "$tmp/raw.wav" -r "$rate" -c 1 -b 16 "$file" \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -1 pad 0 0.12
}

mkdir -p "$out/id" "$out/en"

# Indonesian. "loket" by phonemes: espeak-ng's `id` reads its e as a schwa ("lok@t"), the
# word is said "lokEt".
speak id "$out/id/ticket_number.wav" "nomor antrian"
speak id "$out/id/go_to_counter.wav" "silakan ke [[l'okEt]]"
id_digits=(nol satu dua tiga empat lima enam tujuh delapan sembilan)
# English.
speak en "$out/en/ticket_number.wav" "number"
speak en "$out/en/go_to_counter.wav" "please go to counter"
en_digits=(zero one two three four five six seven eight nine)

for d in 0 1 2 3 4 5 6 7 8 9; do
  speak id "$out/id/digit_$d.wav" "${id_digits[$d]}"
  speak en "$out/en/digit_$d.wav" "${en_digits[$d]}"
done
# A letter alone is read by its name in each voice (id: a, be, ce, ..., zet; en: ay, bee, ...).
for letter in A B C D E F G H I J K L M N O P Q R S T U V W X Y Z; do
  lower="$(echo "$letter" | tr 'A-Z' 'a-z')"
  speak id "$out/id/letter_$lower.wav" "$letter"
  speak en "$out/en/letter_$lower.wav" "$letter"
done

# The chime: our own two-note "ding-dong" (G5 then E5, sine with a bell-like decay), no speech.
sox -D -n -r "$rate" -c 1 -b 16 "$tmp/ding.wav" synth 0.55 sine 784 fade q 0.01 0.55 0.5 vol 0.45
sox -D -n -r "$rate" -c 1 -b 16 "$tmp/dong.wav" synth 0.9 sine 659 fade q 0.01 0.9 0.85 vol 0.45
sox -D "$tmp/ding.wav" "$tmp/dong.wav" "$out/chime.wav" pad 0 0.2

{
  echo "Made by scripts/make-call-clips.sh with these Debian packages:"
  dpkg-query -W -f='${Package} ${Version}\n' espeak-ng sox 2>/dev/null \
    || { espeak-ng --version | head -n 1; sox --version 2>&1 | tail -n 1; }
} >"$out/made-with.txt"

echo "wrote $(find "$out" -name '*.wav' | wc -l) clips to $out"
