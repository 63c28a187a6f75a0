# Boot sector of the bare-metal VNNI harness: loads the image that follows
# it, identity-maps the first GiB with 2 MiB pages, enters 64-bit long mode,
# enables SSE, AVX and AVX-512 register state (XCR0) and calls harness_main.
    .code16
    .section .boot, "ax"
    .globl _start
_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %sp
    # INT 13h extended read (AH = 42h) of the image behind this sector.
    mov $packet, %si
    mov $0x42, %ah
    int $0x13
    jc halt16
    # Page tables: PML4 at 0x1000 -> PDPT at 0x2000 -> PD at 0x3000.
    cld
    mov $0x1000, %di
    mov $0x3000, %cx
    xor %al, %al
    rep stosb
    movl $0x2003, 0x1000
    movl $0x3003, 0x2000
    mov $0x3000, %di
    mov $0x83, %eax              # present, writable, 2 MiB page
    mov $512, %cx
map:
    movl %eax, (%di)
    movl $0, 4(%di)
    add $0x200000, %eax
    add $8, %di
    loop map
    mov $0x1000, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax               # PAE
    mov %eax, %cr4
    mov $0xC0000080, %ecx        # EFER.LME
    rdmsr
    or $0x100, %eax
    wrmsr
    lgdt gdt_pointer
    mov %cr0, %eax
    or $0x80000001, %eax         # paging, protection
    mov %eax, %cr0
    ljmp $0x08, $long_mode
halt16:
    hlt
    jmp halt16

    .p2align 3
gdt:
    .quad 0
    .quad 0x00af9a000000ffff     # 64-bit code
    .quad 0x00cf92000000ffff     # data
gdt_pointer:
    .word 23
    .long gdt
packet:
    .byte 16, 0
    .word 120                    # sectors (60 KiB)
    .word 0x7e00, 0              # destination offset, segment
    .quad 1                      # from LBA 1

    .code64
long_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x90000, %rsp
    mov %cr0, %rax
    and $~0x4, %rax              # no x87 emulation
    or $0x2, %rax                # monitor coprocessor
    mov %rax, %cr0
    mov %cr4, %rax
    or $0x40600, %rax            # OSFXSR, OSXMMEXCPT, OSXSAVE
    mov %rax, %cr4
    xor %ecx, %ecx
    mov $0xE7, %eax              # x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM
    xor %edx, %edx
    xsetbv
    call harness_main
halt64:
    hlt
    jmp halt64

    .org 510
    .byte 0x55, 0xaa
