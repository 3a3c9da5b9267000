import { runService } from '@emporium/kit';
import { identityService } from './app';

void runService(identityService);
