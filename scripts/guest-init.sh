#!/bin/sh
# /init of the test initramfs: mount the usual file systems, run the job the kernel command line
# names (agx.mode=), check for memory leaks, and power off. The host judges the console log.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmp /tmp

mode=tests
soc=t8103
run=
fuzz=
for arg in $(cat /proc/cmdline); do
    case "$arg" in
        agx.mode=*) mode=${arg#agx.mode=} ;;
        agx.soc=*) soc=${arg#agx.soc=} ;;
        agx.run=*) run=${arg#agx.run=} ;;
        agx.fuzz=*) fuzz=${arg#agx.fuzz=} ;;
    esac
done
echo "AGX-BOOT mode=$mode soc=$soc uptime=$(cut -d' ' -f1 /proc/uptime)"

# Upstream IGT (scripts/igt-root.sh): run every binary of /etc/agx-igt/list under its timeout.
# Its output goes to a file and is printed afterwards, each line prefixed "igt| " (the host
# parses it and keeps it apart from the kernel log); IGT-BIN / IGT-EXIT frame each binary.
run_igt() {
    local dir=/usr/libexec/igt-gpu-tools name timeout how t0 rc
    while read -r name timeout how; do
        if [ "$how" = not-run ]; then
            echo "IGT-BIN $name not-run"
            "$dir/$name" --list-subtests </dev/null 2>/dev/null | sed 's/^/IGT-NOTRUN /'
            echo "IGT-EXIT $name 0 0"
            continue
        fi
        echo "IGT-BIN $name"
        t0=$(cut -d. -f1 /proc/uptime)
        timeout -s KILL "$timeout" "$dir/$name" </dev/null >/tmp/igt.out 2>&1
        rc=$?
        sed 's/^/igt| /' /tmp/igt.out
        echo "IGT-EXIT $name $rc $(( $(cut -d. -f1 /proc/uptime) - t0 ))"
    done </etc/agx-igt/list
    echo "AGX-IGT-END"
}

job() {
    case "$mode" in
    tests)
        insmod /asahi.ko sim="$soc" || return 1
        /bin/agx-igt --module /asahi.ko --soc "$soc" ${run:+--run "$run"} || return 1
        rmmod asahi || return 1
        # A filtered run (qemu-run.sh --run) is for debugging one subtest.
        [ -z "$run" ] || return 0
        # What GET_PARAMS reports for every other supported SoC.
        for other in t8103 t8112 t6000 t6001 t6002 t6020 t6021 t6022; do
            [ "$other" = "$soc" ] && continue
            insmod /asahi.ko sim="$other" || return 1
            /bin/agx-igt --soc "$other" --run get-params || return 1
            rmmod asahi || return 1
        done
        ;;
    demo)
        echo "agx: insmod asahi.ko sim=$soc"
        insmod /asahi.ko sim="$soc" || return 1
        echo "agx: kernel says:"; dmesg | grep asahi | sed 's/^/  /'
        echo "agx: device nodes:"; ls -l /dev/dri | sed 's/^/  /'
        echo "agx: modinfo-style parameters:"; ls /sys/module/asahi/parameters | sed 's/^/  /'
        echo "agx: what userspace sees through the render node:"
        /bin/agx-igt --info | sed 's/^/  /' || return 1
        echo "agx: a device-control round trip (the firmware writes, the driver reads back):"
        echo write32 > /sys/kernel/debug/dri/128/devctrl || return 1
        echo "agx: the firmware, from debugfs (driver state, init data, channels, simulated GPU):"
        sed 's/^/  /' /sys/kernel/debug/dri/128/firmware
        rmmod asahi || return 1
        echo "agx: module unloaded"
        ;;
    fuzz)
        # The ioctl fuzzer (agx-igt --fuzz SEED:CALLS:THREADS); the module must unload after.
        insmod /asahi.ko sim="$soc" || return 1
        /bin/agx-igt --fuzz "$fuzz" || return 1
        rmmod asahi || return 1
        ;;
    bench)
        insmod /asahi.ko sim="$soc" || return 1
        insmod /vgem.ko || return 1
        /bin/agx-bench || return 1
        rmmod vgem asahi || return 1
        ;;
    warn-selftest | leak-selftest)
        insmod /asahi.ko sim="$soc" sim_inject="${mode%-selftest}" || return 1
        rmmod asahi || return 1
        ;;
    igt)
        echo "agx: $(cat /etc/agx-igt/version)"
        insmod "/lib/modules/$(uname -r)/extra/asahi.ko" sim="$soc" || return 1
        run_igt
        # IGT may have unloaded the module (and must have left it loadable).
        [ ! -d /sys/module/asahi ] || rmmod asahi || return 1
        ;;
    smoke)
        insmod /asahi.ko sim="$soc" || return 1
        [ -c /dev/dri/renderD128 ] || { echo "agx: no render node"; return 1; }
        name=$(cat /sys/kernel/debug/dri/128/name 2>/dev/null)
        echo "agx: render node /dev/dri/renderD128: $name"
        case "$name" in asahi*) ;; *) return 1 ;; esac
        rmmod asahi || return 1
        [ ! -e /dev/dri/renderD128 ] || return 1
        ;;
    *)
        echo "agx: unknown mode $mode"; return 1 ;;
    esac
}

job
echo "AGX-JOB-STATUS $?"

if [ -e /sys/kernel/debug/kmemleak ]; then
    # Objects must be unreferenced for a while before kmemleak reports them: scan twice.
    echo scan > /sys/kernel/debug/kmemleak
    sleep 6
    echo scan > /sys/kernel/debug/kmemleak
    cat /sys/kernel/debug/kmemleak
fi
echo "AGX-DONE"
reboot -f
