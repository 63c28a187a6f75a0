/* Fallback for Debian's libxnnpack-dev, whose xnnpack.h includes
 * <pthreadpool.h> without depending on libpthreadpool-dev. The benchmark only
 * passes a null pool (single thread), so the opaque type is all it needs. Used
 * only when the real header is not installed (see CMakeLists.txt). */
#ifndef BENCH_GEMM_COMPAT_PTHREADPOOL_H
#define BENCH_GEMM_COMPAT_PTHREADPOOL_H
typedef struct pthreadpool *pthreadpool_t;
#endif
