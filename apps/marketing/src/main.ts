import { runService } from '@emporium/kit';
import { marketingService } from './app';

void runService(marketingService);
