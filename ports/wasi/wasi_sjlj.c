// The exception tag that wasi-libc's longjmp throws and setjmp catches
// (MicroPython's NLR uses setjmp/longjmp, lowered to wasm exceptions).
// wasi-sdk's libsetjmp defines it; zig's bundled wasi-libc does not.
__asm__ (
    ".globl __c_longjmp\n"
    ".tagtype __c_longjmp i32\n"
    "__c_longjmp:\n"
    );
