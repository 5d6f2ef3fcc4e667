# Shortcuts for the README's two commands, plus the pieces they are made of.
.PHONY: run office test package e2e demo-cli

run:
	scripts/run.sh

# The whole office on one machine: office hub, kiosk, counter and display (README).
office:
	scripts/run.sh office

test:
	scripts/test.sh

# The .deb an office installs (target/package/hadir_<version>_amd64.deb).
package:
	scripts/package.sh

# Only the end-to-end tests (after scripts/test.sh has installed everything once).
e2e:
	cargo build --workspace
	xvfb-run -a -s "-screen 0 1920x1920x24" dbus-run-session -- cargo test --workspace --test e2e

# The demo day in the admin CLI, without a window.
demo-cli:
	cargo run -p hadir-cli -- demo
