import { runService } from '@emporium/kit';
import { shopService } from './app';

void runService(shopService);
