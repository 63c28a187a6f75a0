#!/usr/bin/env bash
# Usage: run.sh DIR   (DIR holds model.o, model.h and harness_data.h)
# Links the compiled code with the bare-metal harness into a disk image and
# boots it in Bochs (Tiger Lake, AVX-512 VNNI); prints what the harness
# wrote to port 0xE9.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
llvm=/usr/lib/llvm-22/bin
cd "$1"
$llvm/clang --target=x86_64-unknown-none -c "$here/boot.S" -o boot.o
$llvm/clang --target=x86_64-unknown-none -ffreestanding -fno-pic -mno-red-zone \
  -O1 -Wall -Werror -I. -c "$here/harness.c" -o harness.o
$llvm/ld.lld -T "$here/link.ld" boot.o harness.o model.o -o image.elf
$llvm/llvm-objcopy -O binary image.elf disk.img
# The boot sector reads 120 sectors behind itself.
if [ "$(stat -c %s disk.img)" -gt $((121 * 512)) ]; then
  echo "run.sh: image larger than the 120 sectors boot.S loads" >&2
  exit 1
fi
truncate -s $((20 * 16 * 63 * 512)) disk.img # the geometry in bochsrc
cp "$here/bochsrc" bochsrc
printf 'c\nquit\n' > commands
# The term display needs a terminal: script(1) provides one.
TERM=xterm timeout 300 script -qfc "bochs -q -f bochsrc -rc commands" /dev/null \
  > bochs.out 2>&1 || { tail -20 bochs.out >&2; exit 1; }
grep -a 'avx512vnni=\|RESULT\|difference' bochs.out | tr -d '\r'
