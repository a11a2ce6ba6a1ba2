#ifndef MAILPULSE_CHIREDIS_SHIM_H
#define MAILPULSE_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>

#endif
