/* count_loop: no libc. _start writes one line, runs a 1000-iteration loop of
 * three instructions, and exits with status 42. It executes exactly
 * 6 + 2 + 3 * 1000 + 3 = 3011 instructions: the fixed point for checking
 * instruction counters. */
__asm__(
    ".section .text\n"
    ".globl _start\n"
    "_start:\n"
    "  .option push\n"
    "  .option norelax\n"
    "  li a0, 1\n"               /* 1: fd = stdout */
    "  lla a1, msg\n"            /* 2,3: auipc + addi */
    "  li a2, 16\n"              /* 4: length */
    "  li a7, 64\n"              /* 5: __NR_write */
    "  ecall\n"                  /* 6 */
    "  li t0, 1000\n"            /* 7 */
    "  li t1, 0\n"               /* 8 */
    "1:\n"
    "  addi t1, t1, 3\n"         /* loop body: 3 instructions x 1000 */
    "  addi t0, t0, -1\n"
    "  bnez t0, 1b\n"
    "  li a0, 42\n"              /* 3009 */
    "  li a7, 93\n"              /* 3010: __NR_exit */
    "  ecall\n"                  /* 3011 */
    "  .option pop\n"
    ".section .rodata\n"
    "msg: .ascii \"count_loop done\\n\"\n");
