"""The inspector's browser tests: `python main.py EMULATOR CHROMIUM [NAME...]` runs them all, or
those whose name holds one of the NAMEs. `ui-tests/run` installs what they need and calls this."""

import harness
import test_control
import test_live
import test_page
import test_requests
import test_scale
import test_screenshots
import test_sendas
import test_thread

if __name__ == "__main__":
    harness.main([test_page, test_live, test_thread, test_requests, test_sendas, test_control,
                  test_scale, test_screenshots])
