import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s:%(name)s:%(message)s")
log = logging.getLogger("app")
log.debug("hidden")
log.info("starting %s", "server")
log.warning("disk at %d%%", 91)
try:
    1 / 0
except ZeroDivisionError:
    log.error("math failed")
