#!/bin/sh
# dracut cmdline hook of 98xcatimg: imgurl= alone selects the xcatimg root (nothing names a root device).
if [ -n "$(getarg imgurl=)" ]; then
    root=xcatimg
    rootok=1
    /sbin/initqueue --settled --onetime --unique --name xcatimg /sbin/xcatimg-dracut
    echo '[ -e /tmp/xcatimg.done ]' > "$hookdir/initqueue/finished/xcatimg.sh"
fi
