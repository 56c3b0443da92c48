#ifndef VIGIL_CLMDB_SHIM_H
#define VIGIL_CLMDB_SHIM_H
// Debian's liblmdb-dev (0.9.24). Found through pkg-config `lmdb`.
#include <lmdb.h>
#endif
