/** s3rver in its own process (as rclone talks to it), so the bench's worker does not share its event loop. */
import { startLocalS3 } from '@rt/testing';

const s3 = await startLocalS3();
process.stdout.write(`${s3.endpoint}\n`);
process.on('SIGTERM', () => void s3.close().then(() => process.exit(0)));
